"""`demozone diff`: matching two systems and saying what changed, as values and as a memo."""
