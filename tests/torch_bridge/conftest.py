"""One torch thread: the test machines share a few cores among many workers."""

import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed: pip install 'ssmproof[torch]'")
torch.set_num_threads(1)
