"""Hand labels for the README rule, on the real READMEs in ``../shared/data/pages/``.

How the labels were set (2026-11-29): every README was searched for promise-like words
("coming", "soon", "will be released/made/available", "to be released", "not yet", "under
review", "upon acceptance", "stay tuned", "TODO", unchecked ``- [ ]`` items, "open-source");
each hit was read in context (the whole README when unclear), and a README is labelled
**promise** when it says the repository's main code is not there yet (released later, coming
soon, under review, an open to-do for the code itself). A promise of extras (demos, datasets,
weights, more models) while the code is there is not a promise. READMEs without any hit were
labelled no promise (the ten smallest were read whole). The labels were set before the rule was
run on them (one label was corrected after the first run, see below); the rule was not changed
afterwards to fit a file.
"""

# READMEs that say the code is not there yet (the rest of the 187 say no such thing).
PROMISE = frozenset(
    {
        "2503.09151",  # "Codes will be released soon!"
        "2503.14428",  # "Code will come soon."
        "2505.14752",  # "Code will be released upon acceptance"
        "2506.03065",  # "- [ ] Code and Checkpoints Release"
        "2506.17612",  # "Training and inference code will be released."
        "2507.07105",  # "Code coming soon. Stay tuned!"
        "2507.23698",  # "Codes will be released in one month."
        "2508.12811",  # "Code will be released in several weeks"
        "2509.25301",  # "Code is currently under review and not yet publicly accessible"
        "2512.02835",  # "Code will be released soon."
        # Missed when labelling, found as a "false positive" on the first run and re-read: the
        # README's only news says "All training code, deployment code, and model weights will
        # be released soon!" and it shows no code. A labelling error, corrected; the rule was
        # not changed.
        "2510.21817",
    }
)
