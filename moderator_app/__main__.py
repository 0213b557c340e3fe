from moderator_app.launch import main

raise SystemExit(main())
