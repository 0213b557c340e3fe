"""The command line: ``moderator-app COMMAND``. The parser (parser.py) names each command's handler as
``module:function``; main.py loads that module only when the command runs."""
