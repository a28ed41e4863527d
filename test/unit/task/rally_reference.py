"""Reference results from Rally 3.3.0's own loader code (Debian's python3-rally).

Reads a JSON list of jobs on stdin and writes a JSON list of results on stdout. Each job:
  {"mode": "render", "template": str, "template_dir": str, "args": str|null}
      -> {"rendered": str} | {"error": {"type", "message"}}
  {"mode": "load", "template": str, "template_dir": str, "args": str|null}
      -> {"normalized": dict} | {"error": {"stage", "type", "message"}}
  {"mode": "yaml", "text": str}
      -> {"value": typed} | {"error": {"type", "message"}}
"args" is YAML text of the task args, loaded like `rally task start --task-args` does.
Typed values keep what JSON would lose: floats become {"$float": repr}, mappings
{"$map": [[json_key, value], ...]}.
"""
import json
import sys

from rally.api import _Task
from rally.cli import yamlutils
from rally.task import task_cfg


def typed(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return {"$float": repr(value)}
    if isinstance(value, dict):
        return {"$map": [[json.loads(json.dumps({k: 0}))
                          .popitem()[0] if not isinstance(k, (list, dict)) else repr(k),
                          typed(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [typed(v) for v in value]
    return {"$other": repr(value)}


def render(job):
    args = yamlutils.safe_load(job["args"]) if job.get("args") else {}
    api = object.__new__(_Task)
    return api.render_template(task_template=job["template"],
                               template_dir=job["template_dir"], **args)


def run(job):
    mode = job["mode"]
    if mode == "yaml":
        try:
            return {"value": typed(yamlutils.safe_load(job["text"]))}
        except Exception as e:
            return {"error": {"type": type(e).__name__, "message": str(e)}}
    stage = "render"
    try:
        rendered = render(job)
        if mode == "render":
            return {"rendered": rendered}
        stage = "yaml"
        parsed = yamlutils.safe_load(rendered)
        stage = "task_config"
        config = task_cfg.TaskConfig(parsed).to_dict()
        return {"normalized": json.loads(json.dumps(config))}
    except Exception as e:
        return {"error": {"stage": stage, "type": type(e).__name__,
                          "message": str(e)}}


def main():
    jobs = json.load(sys.stdin)
    json.dump([run(job) for job in jobs], sys.stdout)


if __name__ == "__main__":
    main()
