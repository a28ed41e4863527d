/**
 * Every plugin rally-gate ships, one import line each. Importing this module registers them.
 * Adding a plugin: write its file, add its line here.
 */
