"""People: a signed-up person with a verified primary email address."""

import factory
from allauth.account.models import EmailAddress

from concord.accounts.models import User

PASSWORD = "pass-word-42"


class UserFactory(factory.django.DjangoModelFactory):
    """`UserFactory(staff=True)` is a secretariat member; `verified=False` leaves the
    address unconfirmed (no verified EmailAddress row)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        staff = factory.Trait(is_staff=True)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = "Test Person"
    password = PASSWORD
    is_staff = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The manager normalises the address and hashes the password, as sign-up does.
        return model_class.objects.create_user(*args, **kwargs)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
