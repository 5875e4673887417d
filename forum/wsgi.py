import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

application = get_wsgi_application()

# What loading the site made (Django, the apps, their modules) lives as long
# as the process: frozen, the collector no longer walks it. Each full
# collection otherwise read every one of those objects, a pause of tens of
# milliseconds in the middle of a request every few hundred requests.
gc.collect()
gc.freeze()
