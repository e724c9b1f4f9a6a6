"""Random but plausible US buyers for generated orders."""

from __future__ import annotations

import random
from typing import Any

FIRST = ["Jane", "John", "Maria", "James", "Linda", "Robert", "Aisha", "Wei", "Carlos", "Emily"]
LAST = ["Doe", "Smith", "Garcia", "Johnson", "Nguyen", "Brown", "Patel", "Kim", "Lopez", "Miller"]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Washington Blvd", "Park Pl", "Cedar Ln", "Elm St"]
# (city, state, zip): real combinations
PLACES = [
    ("Hoboken", "NJ", "07030"), ("Midvale", "UT", "84047"), ("Austin", "TX", "78701"),
    ("Denver", "CO", "80202"), ("Seattle", "WA", "98101"), ("Miami", "FL", "33130"),
    ("Chicago", "IL", "60601"), ("Portland", "OR", "97205"), ("Boston", "MA", "02108"),
    ("Phoenix", "AZ", "85004"), ("Nashville", "TN", "37203"), ("Columbus", "OH", "43215"),
]  # fmt: skip


def random_buyer(rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    person = {"name": name, "phone_number": f"555{rng.randrange(10**6, 10**7)}"}
    city, state, zip_code = rng.choice(PLACES)
    address = {"address1": f"{rng.randint(1, 9999)} {rng.choice(STREETS)}",
               "address2": rng.choice(["", "", f"Apt {rng.randint(1, 40)}"]),
               "city": city, "state": state, "zip_code": zip_code}  # fmt: skip
    return person, address
