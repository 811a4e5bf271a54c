import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
application = get_wsgi_application()

# Objects made while loading the app live as long as the process: keep them out of the
# garbage collector's passes, and run its youngest pass less often. Under a surge of
# requests this shortened the slowest answers (bench/NOTES.md).
gc.collect()
gc.freeze()
gc.set_threshold(20_000, 50, 100)
