def test_orgs_endpoint_lists_the_public_tree(client, dept):
    response = client.get("/api/v1/orgs")

    assert response.status_code == 200
    assert [(o["name"], o["parent_id"]) for o in response.json()] == [
        ("绵阳市人民政府", None),
        ("绵阳市自然资源和规划局", dept.parent_id),
    ]


def test_openapi_schema_is_served_with_every_router(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["info"]["title"] == "Gongkai API"
    assert {"/api/v1/orgs", "/api/v1/workdays/add"} <= set(schema["paths"])
