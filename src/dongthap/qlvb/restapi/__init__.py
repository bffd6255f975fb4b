"""plone.restapi services of the add-on, one folder per endpoint."""
