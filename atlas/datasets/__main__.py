from atlas.datasets.command import main

raise SystemExit(main())
