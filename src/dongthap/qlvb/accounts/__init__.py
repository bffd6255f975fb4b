"""Account security (issue #19 items 1-4): password policy, throttling and lockout, the lost-account
procedure, two-factor login. :mod:`.api` is what views and REST services call; :mod:`.plugin` is the
PAS plugin that enforces it on every login path."""
