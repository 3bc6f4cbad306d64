"""Fitting the learned parts of narrativediff, and the dataset loaders it shares with benchmarks/.

Not installed with the package: it reads the evaluation data (``../shared/data``) and writes the
fitted parameter files that the package ships. Run from the repository root::

    python -m training.fit_same_claim          # refit, compare with the shipped file
    python -m training.fit_same_claim --write  # ... and rewrite narrativediff/data/same_claim_calibration.json
    python -m training.fit_framing_combiner [--write]

See training/README.md.
"""
