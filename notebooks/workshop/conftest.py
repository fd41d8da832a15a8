"""nbval collects the solutions only: an exercise notebook fails its checks until a learner
completes its action. The solutions are the same notebooks run against finished actions."""

collect_ignore_glob = ["exercises/*"]
