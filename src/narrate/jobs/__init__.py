"""narrate past one machine: one job per article on RQ and Redis, one publisher.

The parts, in the order an article meets them:

1. ``queue``     ``enqueue``/``backfill``: each source becomes one RQ job whose id is its key
                 (``keys``: the article's bytes, or its URL, and the settings), so that a source
                 enqueued twice is built once; ``status`` and ``retry`` read and mend the queue.
2. ``task``      what a worker's work horse runs: ``build_episode`` into a staging folder of the
                 spool, then the built episode is committed there by a rename (``spool``) and its
                 key added to the ready set in Redis. A job never writes the show.
3. ``publisher`` the one writer: whoever holds the publisher's lock in Redis (it expires, so a
                 dead holder cannot keep it) applies the ready episodes in the order they were
                 enqueued, with ``narrate.publish``; applying one twice changes nothing.
4. ``worker``    ``narrate worker``: RQ's forking worker (a crash costs one attempt, not the
                 worker), with heartbeats short enough that a dead worker's job is retried soon.

``store`` holds the Redis names and the connection. Built episodes travel through the spool, a
folder every worker and the publisher reach (a shared mount; object storage is the next step,
behind the same four calls of ``spool``).
"""
