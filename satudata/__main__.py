"""Allow ``python -m satudata``."""

from satudata.cli import main

raise SystemExit(main())
