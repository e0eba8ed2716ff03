"""python -m loaders.match INPUT [--sheet S] [--header-row N] [--code-col C] [--name-col N]
[--province-col P] [--prefecture-col F] [--year-col Y] --out OUTPUT(.csv|.geojson|.gpkg)"""

import sys

from loaders.match.command import main

sys.exit(main())
