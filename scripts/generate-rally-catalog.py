#!/usr/bin/python3
"""Writes src/plugins/rally-catalog.json: the names of every task plugin that Rally 3.3.0 and
rally-openstack 2.2.0 define (scenario, context, sla, hook, trigger, runner), so that rally-gate
can tell "a real Rally plugin it does not implement yet" from "a typo".

Run with Debian's Python, which has python3-rally and python3-rally-openstack:
    /usr/bin/python3 scripts/generate-rally-catalog.py > src/plugins/rally-catalog.json
Names only; each is "name@platform" as Rally spells it.
"""
import json
import sys

from rally import plugins
from rally.common.plugin import plugin
from rally.task import context, hook, runner, scenario, sla
import rally
import rally_openstack

KINDS = [
    ("scenario", scenario.Scenario),
    ("context", context.BaseContext),
    ("sla", sla.SLA),
    ("hook", hook.HookAction),
    ("trigger", hook.HookTrigger),
    ("runner", runner.ScenarioRunner),
]


def main():
    plugins.load()
    names = {kind: set() for kind, _ in KINDS}
    hidden = {kind: set() for kind, _ in KINDS}
    for cls in plugin.Plugin.get_all(allow_hidden=True):
        for kind, base in KINDS:
            if issubclass(cls, base):
                full = "%s@%s" % (cls.get_name(), cls.get_platform())
                (hidden if cls.is_hidden() else names)[kind].add(full)
    catalog = {
        "generator": "scripts/generate-rally-catalog.py",
        "rally": rally.__version__ if hasattr(rally, "__version__") else "3.3.0",
        "rally_openstack": getattr(rally_openstack, "__version__", "2.2.0"),
        "plugins": {kind: sorted(values) for kind, values in names.items()},
        "hidden": {kind: sorted(values) for kind, values in hidden.items()
                   if values},
    }
    json.dump(catalog, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
