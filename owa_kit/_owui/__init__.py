"""An emulated ``open_webui`` (0.12.4) for the actions the kit runs.

Shared actions ask the model with ``open_webui.utils.chat.generate_chat_completion`` and look
things up with ``open_webui.models.{users,chats,files,models}``. Outside a server such a file
would not even import; in the kit it imports these emulations (``_modules.EMULATED``), which
keep the 0.12.4 signatures, return shapes, ``async``-ness and errors, and read the state of
the running click (``_backend``): its user, chat, models, files, and the replies of
``owa.run(..., llm=...)``.

Scope: only code the kit loads sees it (the loader gives each action module builtins whose
``__import__`` serves ``open_webui``, ``_modules.kit_builtins``); ``sys.modules`` is never
touched, so a real ``open-webui`` in the same environment is neither shadowed nor broken. A
name that exists in 0.12.4 but is not emulated fails to import with ``NotEmulatedError`` (an
``ImportError``) that says to run the action live against a server; a name 0.12.4 does not
have fails as it would there.

Import the submodules directly: this package imports nothing, so ``import owa_kit`` stays
light (the 0.12.4 name tables in ``_api`` load on the first action load).
"""
