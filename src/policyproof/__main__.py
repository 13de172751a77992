"""Allows ``python -m policyproof``."""

from policyproof.cli import main

raise SystemExit(main())
