"""Allows ``python -m policyproof``."""

from policyproof.entry import main

raise SystemExit(main())
