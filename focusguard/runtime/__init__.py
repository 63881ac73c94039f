"""The running app's machinery that is not a view: the probe thread (``sampler``)
and one-instance-per-session IPC (``single_instance``). Qt's event loop and threads,
no widgets."""
