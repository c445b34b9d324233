"""The demo study: the seed study with fictional people, loaded by `manage.py load_demo_study`."""
