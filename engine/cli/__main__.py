"""`python -m demozone.cli`: the `demozone` command, for a test or a deployment that starts it
with a chosen interpreter rather than through the console script on PATH."""

from demozone.cli import main

if __name__ == "__main__":
    main()
