"""People and organizations named in digests, and the names they are known by.

Every name and alias lives in one table (`Alias`) with a unique normalised form, so that the
database itself refuses a name that would point at two entities. This app knows nothing of
digests: mentions reach people and organizations through reverse relations defined there.
"""

from people.models.affiliations import Affiliation
from people.models.entities import (
    Entity,
    EntityQuerySet,
    Organization,
    OrganizationRedirect,
    Person,
    PersonLink,
    PersonQuerySet,
    PersonRedirect,
    listed_q,
    unique_slug,
)
from people.models.names import Alias, IgnoredName, NameToReview, alias_deleted
from people.spelling import normalize_name

__all__ = [
    "Affiliation",
    "Alias",
    "Entity",
    "EntityQuerySet",
    "IgnoredName",
    "NameToReview",
    "Organization",
    "OrganizationRedirect",
    "Person",
    "PersonLink",
    "PersonQuerySet",
    "PersonRedirect",
    "alias_deleted",
    "listed_q",
    "normalize_name",
    "unique_slug",
]
