"""What the site publishes for other programs to read: RSS and Atom feeds
(feeds.py), the sitemap (sitemaps.py) and the JSON-LD of thread, article and
posting pages (structured_data.py)."""
