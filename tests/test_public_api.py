"""The public surface: everything in __all__ exists, and everything public is in __all__."""

import inspect

import narrativediff as nd


def test_all_names_exist():
    for name in nd.__all__:
        assert hasattr(nd, name), name


def test_all_is_complete():
    public = {
        name for name, value in vars(nd).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name not in {"annotations"}
    }
    assert public == set(nd.__all__)


def test_errors_share_one_root_and_a_builtin():
    assert issubclass(nd.InvalidInputError, ValueError)
    assert issubclass(nd.ModelNotFoundError, OSError)
    assert issubclass(nd.MissingDependencyError, ImportError)
    for name in nd.__all__:
        value = getattr(nd, name)
        if inspect.isclass(value) and issubclass(value, Warning):
            assert issubclass(value, UserWarning)
        elif inspect.isclass(value) and issubclass(value, Exception):
            assert issubclass(value, nd.NarrativeDiffError)
