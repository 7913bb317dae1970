from build_scripts.cli import main

main()
