import pytest

from app import create_app


@pytest.fixture
def client():
    app = create_app({"HEALTH_CHECK_PATH": "/health", "SERVICE_NAME": "flask-app"})
    app.testing = True
    return app.test_client()


def test_index_names_the_service(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.get_json() == {"service": "flask-app", "message": "Hello from flask-app"}


def test_health_answers_ok(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_the_health_path_comes_from_the_environment():
    client = create_app({"HEALTH_CHECK_PATH": "/healthz"}).test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/health").status_code == 404


def test_a_relative_health_path_is_refused_with_the_value():
    with pytest.raises(ValueError, match="'health'"):
        create_app({"HEALTH_CHECK_PATH": "health"})


def test_unknown_paths_are_404(client):
    assert client.get("/nope").status_code == 404


def test_health_only_answers_get_and_head(client):
    assert client.head("/health").status_code == 200
    assert client.post("/health").status_code == 405
