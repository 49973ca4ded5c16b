"""The only code that both changes Woodpecker and writes state: apply, and settling interrupted calls."""
