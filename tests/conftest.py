import pytest
from django.core.cache import cache

from digestsite.cache import forget_counters


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache, so its pages are rendered, not remembered."""
    cache.clear()
    forget_counters()
    yield
    cache.clear()
    forget_counters()


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-12345678")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
