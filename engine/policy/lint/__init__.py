"""`demozone lint`: findings on a rule set, with where to edit."""
