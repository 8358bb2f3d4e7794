import pytest


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-12345678")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
