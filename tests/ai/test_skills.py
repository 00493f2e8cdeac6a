from jobrec.ai.skills import skills_canonical


def test_skills_are_canonical_deduplicated_and_free_of_traits() -> None:
    got = skills_canonical(
        [
            "k8s",
            "Kubernetes",
            "golang",
            "Communication Skills",
            "teamwork",
            "Spanish",
            "not a skill",
        ]
    )
    assert got == ["Kubernetes", "Go", "Spanish"]
