import signal

from .cli import main

# The engine starts the trainer from threads that block SIGINT and SIGTERM, and a child inherits
# its parent's blocked signals: unblock them, so that Ctrl-C and the engine's shutdown stop it.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})

raise SystemExit(main())
