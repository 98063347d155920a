"""Template blocks rendered once per build for each set of values they read.

Every page shows the same footer, and every record page the same header: rendered 10,000
times, they were a fifth of the time of a record page. A block is a pure function of what
it reads from the page's context, so its output is kept, within one build, for each set of
the values it reads:

- which names those are is read from the templates themselves, for every definition of the
  block and of the blocks inside it, in every template (a child template that overrides a
  block inside the header is counted too);
- the names of the environment's globals (the catalog, `url()`...) are the same for every
  page of a build, and so is each block's definition;
- a block that could read more than its names say (an `include`, `self`, `super()`, a
  macro defined in the page's own template) is rendered every time.

Nothing here can change a byte: an editor who makes a block depend on the page (the header
reading `page_path`) gets it rendered for each page, as before. tests/test_blocks.py checks
both, and the golden test the shipped site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import jinja2
from jinja2 import meta, nodes
from jinja2.runtime import Context

BlockFunction = Callable[[Context], Iterator[str]]
# Names whose value is made for each render, or that reach what the block's names do not say
# (`self` too, which Jinja does not count as a name read: own_reads looks for it).
UNKNOWN = frozenset({"super", "caller", "varargs", "kwargs", "loop"})
OPEN = (nodes.Include, nodes.Extends, nodes.Macro, nodes.CallBlock)
# Records from which blocks are kept: telling what each block reads takes 60 ms, and keeping
# them saves 0.07 ms a page (0.7 s at 10,000 records; 7 ms for the shipped catalog).
BLOCKS_FROM = 1000
LIMIT = 256  # renders per block not found kept: past them, one that differs on every page
# (it reads the record) is rendered as it is, without a key
GLOBAL = object()  # in a key: the name holds the environment's global of that name


@dataclass(frozen=True)
class BlockReads:
    """What one block's output depends on, besides the environment's globals."""

    names: tuple[str, ...]  # context names read by it or by a block inside it, anywhere
    inner: tuple[str, ...]  # the names of the blocks inside it (their definitions count)


def remember_blocks(
    env: jinja2.Environment, names: list[str], reads: Mapping[str, BlockReads | None]
) -> None:
    """Make the loaded templates `names` keep each block's output, for one build; `reads`
    is block_reads() of the same templates."""
    for name in names:
        template = env.get_template(name)
        for block, function in list(template.blocks.items()):
            found = reads.get(block)
            if found is not None:
                template.blocks[block] = Remembered(function, found, env.globals)


class Remembered:
    """A block function that keeps its output for each key (block_key). A block that reads
    what each page has its own of (a record) gives up keeping after a few tries."""

    def __init__(
        self, function: BlockFunction, reads: BlockReads, globals_: Mapping[str, object]
    ) -> None:
        self.function = function
        self.reads = reads
        self.globals = globals_
        self.kept: dict[tuple[object, ...], str] = {}
        self.misses = 0

    def __call__(self, context: Context) -> Iterator[str]:
        if self.misses > LIMIT:
            return self.function(context)
        key = block_key(context, self.function, self.reads, self.globals)
        text = self.kept.get(key) if key is not None else None
        if text is None:
            self.misses += 1
            text = "".join(self.function(context))
            if key is not None:
                self.kept[key] = text
        return iter((text,))


def block_key(
    context: Context, function: BlockFunction, reads: BlockReads, globals_: Mapping[str, object]
) -> tuple[object, ...] | None:
    """The block's definition and those of the blocks inside it on this page, and the
    value of each name it reads (a global as GLOBAL: the same on every page); None if a
    value cannot be a key."""
    key: list[object] = [function]
    for inner in reads.inner:
        stack = context.blocks.get(inner)
        key.append(stack[0] if stack else None)
    for name in reads.names:
        value = context.resolve_or_missing(name)
        key.append(GLOBAL if value is globals_.get(name, GLOBAL) else (type(value), value))
    found = tuple(key)
    try:
        hash(found)
    except TypeError:
        return None
    return found


def block_reads(env: jinja2.Environment, names: list[str]) -> dict[str, BlockReads | None]:
    """For each block name in the templates `names`: what its output depends on, or None
    when that cannot be told from the templates. Globals are names like any other here
    (block_key tells them apart on each page): a page given a value of the same name sees
    its own."""
    env = env.overlay()
    env.globals = {}
    definitions: dict[str, list[nodes.Block]] = defaultdict(list)
    for name in names:
        source = env.loader.get_source(env, name)[0] if env.loader else ""
        for block in env.parse(source, name).find_all(nodes.Block):
            definitions[block.name].append(block)
    own = {block: own_reads(env, found) for block, found in definitions.items()}
    return {block: closed_reads(block, own, definitions) for block in definitions}


def own_reads(env: jinja2.Environment, found: list[nodes.Block]) -> frozenset[str] | None:
    """The names every definition of one block reads, or None if one could read more."""
    names: set[str] = set()
    for block in found:
        if block.scoped or any(True for _ in block.find_all(OPEN)):
            return None
        if any(node.name == "self" for node in block.find_all(nodes.Name)):
            return None
        body = nodes.Template(list(block.body), lineno=block.lineno)
        body.set_environment(env)
        names |= meta.find_undeclared_variables(body)
    return None if names & UNKNOWN else frozenset(names)


def closed_reads(
    block: str,
    own: Mapping[str, frozenset[str] | None],
    definitions: Mapping[str, list[nodes.Block]],
) -> BlockReads | None:
    """A block's reads with those of every block inside any of its definitions."""
    names: set[str] = set()
    seen: set[str] = set()
    todo = [block]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        reads = own.get(current)
        if reads is None:
            return None
        names |= reads
        for definition in definitions[current]:
            todo += [inner.name for inner in definition.find_all(nodes.Block)]
    inner = tuple(sorted(seen - {block}))
    return BlockReads(tuple(sorted(names)), inner)
