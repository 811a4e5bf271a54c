"""The one partnerships router the site's API mounts (concord/api/api.py)."""

from ninja import Router

from concord.partnerships.api import partnerships, requests

router = Router(tags=["partnerships"])
router.add_router("", requests.router)
router.add_router("", partnerships.router)
