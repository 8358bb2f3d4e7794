"""Old page addresses that answer with a 301: one abstract model for every kind of page
whose slug can change (digests, people, organizations)."""

from django.db import models


class SlugRedirect(models.Model):
    """An address a page had before its slug changed (or before a merge)."""

    # The foreign key to the page it now leads to, named by each concrete model.
    target_field = "target"

    old_slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.old_slug} → {getattr(self, self.target_field).slug}"

    @classmethod
    def remember(cls, target, old_slug: str | None) -> None:
        """After `target` was saved: its old address (if its slug changed) keeps working, and
        its new address is no longer a redirect to anything."""
        if old_slug and old_slug != target.slug:
            cls.objects.update_or_create(old_slug=old_slug, defaults={cls.target_field: target})
        cls.objects.filter(old_slug=target.slug).delete()
