"""`demozone impact`: whom a rule change affects, and carrying submissions across systems."""
