import sys

from narrativediff.faces.cli import main

sys.exit(main())
