// The example app of the three layer-analysis Dockerfiles: answers every HTTP request on
// port 8000 with "ok", and serves nothing else. Static, so the hardened image needs no libc.
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    static const char kResponse[] =
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n";
    signal(SIGPIPE, SIG_IGN);
    int server = socket(AF_INET6, SOCK_STREAM, 0);
    int on = 1;
    int off = 0;
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    setsockopt(server, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    struct sockaddr_in6 address;
    memset(&address, 0, sizeof address);
    address.sin6_family = AF_INET6;
    address.sin6_port = htons(8000);
    if (bind(server, (struct sockaddr*)&address, sizeof address) != 0 || listen(server, 64) != 0) {
        return 1;
    }
    for (;;) {
        int client = accept(server, NULL, NULL);
        if (client < 0) {
            continue;
        }
        char request[4096];
        (void)read(client, request, sizeof request);
        (void)write(client, kResponse, sizeof kResponse - 1);
        close(client);
    }
}
