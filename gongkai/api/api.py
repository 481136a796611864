"""The JSON API under /api/v1/, with its OpenAPI schema at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Gongkai API",
    version="1",
    description="政府信息公开平台接口 / Gongkai government information disclosure API",
    urls_namespace="api",
)

api.add_router("/orgs", "gongkai.api.orgs.router")
api.add_router("/applications", "gongkai.api.applications.router")
api.add_router("/workdays", "gongkai.api.workdays.router")
