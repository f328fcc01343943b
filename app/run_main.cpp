#include <cstdio>

int main(int argc, char * /*argv*/[])
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: mailroom-run FILE.exs | -e CODE\n");
        return 2;
    }
    std::fprintf(stderr, "mailroom-run: the script language is not built yet\n");
    return 1;
}
