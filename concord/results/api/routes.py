"""The one results router the site's API mounts (concord/api/api.py)."""

from ninja import Router

from concord.results.api import projects, reports, updates

router = Router(tags=["results"])
router.add_router("", projects.router)
router.add_router("", updates.router)
router.add_router("", reports.router)
