"""What the site runs on, apart from any rule of the forum: middleware, the
database router and SQLite backend, the cache's version counters, the Redis
cache and session backends, the dump format and the error views."""
