"""demozone: a rules-engine knowledge base for China's national online market regulation and
service demonstration zones.

The public Python API is `demozone.api`; the CLI and any web front end call only that.
"""

__version__ = "0.1.0"
