"""Reading the API as a signed-in user, for each app's ``test_api.py``."""


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
