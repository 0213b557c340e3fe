from moderator_app.app import main

raise SystemExit(main())
