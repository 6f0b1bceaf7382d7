"""Reading and writing the API as a signed-in user, for each app's API tests."""


def read(client, user, url: str, **params):
    """GET ``url`` as ``user`` (anonymously when None)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def listed(client, user, url: str, **params) -> list[dict]:
    """The rows of one page of a list, which must answer 200."""
    response = read(client, user, url, **params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def listed_ids(client, user, url: str, **params) -> set[int]:
    return {row["id"] for row in listed(client, user, url, **params)}


def write(client, user, url: str, data: dict | None = None, *, multipart: bool = False, **headers):
    """POST ``data`` to an API write as ``user``: JSON, or a multipart form with files."""
    client.logout()
    client.force_login(user)
    if multipart:
        return client.post(url, data or {}, headers=headers)
    return client.post(url, data or {}, content_type="application/json", headers=headers)
