"""REST services of signing: @signatures, @sign-external, @signing-certificates."""
