from xinfang_desk.cli import main

raise SystemExit(main())
