"""``python -m dcal``."""

from dcal.cli import main

raise SystemExit(main())
