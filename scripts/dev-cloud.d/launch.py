#!/usr/bin/python3
"""launch.py NAME MODULE:FUNCTION [ARGS...] - run an OpenStack console entry
point under its usual name.

Debian ships most daemons' /usr/bin scripts in separate packages (nova-api,
glance-api...) whose maintainer scripts want debconf and systemd; we install
only the python3-<service> libraries and call the same entry point here.
sys.argv[0] is set to NAME, as the real script would have it (oslo.config
takes the program name from it).
"""
import importlib
import sys

name, target, *args = sys.argv[1:]
module_name, _, function_name = target.partition(':')
sys.argv = [name, *args]
sys.exit(getattr(importlib.import_module(module_name), function_name)())
