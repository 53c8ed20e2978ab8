"""Trained model files shipped with the package (`tone_<lang>.npz`: see ttdn.training.tone)."""
